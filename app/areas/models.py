"""Districts, subdistricts and villages, keyed by their official codes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base

# The province's support zones (Nan's campaign split its districts north, central, south).
ZONES = ("north", "central", "south")


class Province(Base):
    """A จังหวัด, with its 2-digit DOPA code (Nan is 55)."""

    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name_th: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))

    districts: Mapped[list[District]] = relationship(
        back_populates="province", order_by="District.code"
    )


class District(Base):
    """An อำเภอ, with its 4-digit DOPA code and its support zone."""

    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    name_th: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    zone: Mapped[str | None] = mapped_column(String(8))  # one of ZONES

    province: Mapped[Province] = relationship(back_populates="districts")

    subdistricts: Mapped[list[Subdistrict]] = relationship(
        back_populates="district", order_by="Subdistrict.code"
    )


class Subdistrict(Base):
    """A ตำบล, with its 6-digit DOPA code."""

    __tablename__ = "subdistricts"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    name_th: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))

    district: Mapped[District] = relationship(back_populates="subdistricts")
    villages: Mapped[list[Village]] = relationship(
        back_populates="subdistrict", order_by="Village.moo"
    )


class Village(Base):
    """A หมู่บ้าน: subdistrict code + หมู่ที่ (2 digits) make its 8-digit code."""

    __tablename__ = "villages"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    subdistrict_code: Mapped[str] = mapped_column(ForeignKey("subdistricts.code"), index=True)
    moo: Mapped[int]
    name_th: Mapped[str] = mapped_column(String(120))
    households: Mapped[int | None]
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Printed on the village's QR poster: volunteers who scan it sign up into this village.
    invite_code: Mapped[str | None] = mapped_column(String(12), unique=True)

    subdistrict: Mapped[Subdistrict] = relationship(back_populates="villages", lazy="joined")

    @property
    def label_th(self) -> str:
        """ "หมู่ 3 บ้าน… ต.… อ.…" for cards and lists."""
        sub = self.subdistrict
        return f"หมู่ {self.moo} {self.name_th} ต.{sub.name_th} อ.{sub.district.name_th}"
