from types import SimpleNamespace

from django.conf import settings


def site(request):
    """The DSFR site configuration from settings (no database query per page) and the help contacts."""
    return {
        "SITE_CONFIG": SimpleNamespace(
            site_title=settings.SITE_TITLE,
            site_tagline=settings.SITE_TAGLINE,
            footer_description=(
                "Trajectoire aide les patients, leurs aidants et les professionnels à trouver la structure "
                "capable de prendre en charge la personne et adaptée à ses besoins."
            ),
            footer_brand_html=None,
            header_brand_html=None,
            beta_tag=True,
            mourning=False,
        ),
        "SUPPORT": SimpleNamespace(
            hours=settings.SUPPORT_HOURS,
            phone=settings.SUPPORT_PHONE,
            email=settings.SUPPORT_EMAIL,
            contact_email=settings.SUPPORT_CONTACT_EMAIL,
        ),
    }
