"""Each existing organisation belongs to its register's country, and its
acronym and names become searchable. The country's row is created here if
the ISO list has not been loaded yet (it is loaded after every migrate)."""

import gettext
import re
import unicodedata

import pycountry
from django.db import migrations

NOT_WORD = re.compile(r"[\W_]+")
UNDECOMPOSED = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"})


# As readiness.registry.search.folded on the day of this migration: a
# migration does not import code that may change after it.
def folded(text):
    decomposed = unicodedata.normalize("NFD", text.translate(UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_text(*parts):
    return "".join(f" {word}" for part in parts for word in NOT_WORD.sub(" ", folded(part)).split())


def country_names(code):
    country = pycountry.countries.get(alpha_2=code)
    english = country.name if country else code
    vietnamese = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True
    ).gettext(english)
    return {"en": english, "vi": vietnamese}


def fill(apps, schema_editor):
    Organisation = apps.get_model("registry", "Organisation")
    Jurisdiction = apps.get_model("registry", "Jurisdiction")
    for organisation in Organisation.objects.all():
        country = Jurisdiction.objects.filter(code=organisation.country_code).first()
        if country is None:
            names = country_names(organisation.country_code)
            country = Jurisdiction.objects.create(
                code=organisation.country_code,
                level="country",
                name=names,
                search_text=search_text(organisation.country_code, *names.values()),
            )
        organisation.jurisdiction = country
        organisation.search_text = search_text(
            organisation.abbreviation, *organisation.name.values()
        )
        organisation.save(update_fields=["jurisdiction", "search_text"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_organisation_register_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
