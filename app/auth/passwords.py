"""The minimum password policy: 8 characters or more, not one of the commonest passwords,
and not the user's own mobile number."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8

# The commonest passwords of 8+ characters in public breach lists, and Thai habits
# (birth years, "ilovethailand", keyboard rows). Compared in lower case.
COMMON = frozenset(
    """
    12345678 123456789 1234567890 0123456789 87654321 987654321 11111111 00000000
    22222222 33333333 44444444 55555555 66666666 77777777 88888888 99999999 12341234
    11223344 12121212 123123123 1234512345 11112222 13131313 147258369 123654789
    159753159 741852963 1q2w3e4r 1q2w3e4r5t 1qaz2wsx qwertyui qwertyuiop asdfghjk
    asdfghjkl zxcvbnm1 qwerty123 qwerty12 password password1 password12 password123
    p@ssw0rd p@ssword passw0rd iloveyou iloveyou1 iloveyou2 princess sunshine football
    baseball superman trustno1 welcome1 welcome123 abc12345 abcd1234 abcdefgh aa123456
    a1234567 a12345678 abc123456 admin123 admin1234 administrator letmein1 monkey123
    dragon123 master123 shadow123 qazwsxedc zaq12wsx q1w2e3r4 q1w2e3r4t5 computer
    internet 1qazxsw2 thailand thailand1 ilovethailand bangkok1 sawasdee sawaddee
    kittikorn 25252525 25402540 25302530 25252526 12345qwert qwert12345 88888888a
    ilovemom ilovedad volunteer volunteers changeme changeme1 00001111
    """.split()
)


def password_problem(password: str, phone: str | None) -> str | None:
    """Why the password is refused (a translated message), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least 8 characters."))
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) <= 2:
        return str(_l("This password is too common and easy to guess. Choose another."))
    digits = "".join(ch for ch in password if ch.isdigit())
    if phone and (phone in digits or phone[1:] in digits):
        return str(_l("Do not use your mobile number as your password."))
    return None
