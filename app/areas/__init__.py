"""Administrative areas: province › district › subdistrict › village."""

from .models import District, Subdistrict, Village

__all__ = ["District", "Subdistrict", "Village"]
