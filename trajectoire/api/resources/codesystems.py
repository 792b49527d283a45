"""The project's CodeSystems, generated from the enums and the thesaurus the domain apps use (one source)."""

from __future__ import annotations

from functools import cache

from trajectoire.accounts.enums import Role
from trajectoire.demandes.enums import MotifAnnulation, MotifCloture, MotifRefus, Statut
from trajectoire.directory import thesaurus
from trajectoire.directory.enums import Domain, MentionSMR, StructureType
from trajectoire.dossiers.enums import TypeSejour

from ..fhir import PROJECT_BASE, NotFound
from ..registry import ResourceDef, SearchParam, register


def _enum(choices):
    return lambda: [(c.value, c.label) for c in choices]


# id -> (title, concepts); the code is the stored value, the display its French label.
CODE_SYSTEMS = {
    "statut-demande": ("Statuts d’une demande", _enum(Statut)),
    "motif-refus": ("Motifs de refus d’une demande", _enum(MotifRefus)),
    "motif-annulation": ("Motifs d’annulation d’une demande", _enum(MotifAnnulation)),
    "motif-cloture": ("Motifs de clôture automatique", _enum(MotifCloture)),
    "domaine": ("Domaines d’orientation", _enum(Domain)),
    "type-prise-en-charge": ("Types de prise en charge", _enum(StructureType)),
    "mention-smr": ("Mentions d’autorisation SMR", _enum(MentionSMR)),
    "type-sejour": ("Types de séjour", _enum(TypeSejour)),
    "sortie-demande": (
        "Résultats d’une demande (Task.output)",
        lambda: [("date-admission-proposee", "Date d’admission proposée"), ("date-entree", "Date d’entrée")],
    ),
    "habilitation": ("Habilitations dans un établissement", _enum(Role)),
    "besoins-soins": ("Besoins en soins (thésaurus)", thesaurus.choices),
}


def system(name: str) -> str:
    assert name in CODE_SYSTEMS, name
    return f"{PROJECT_BASE}/CodeSystem/{name}"


@cache
def _displays(name: str) -> dict:
    """code -> label of one CodeSystem (enums and the versioned thesaurus file: fixed while the process runs;
    labels kept lazy, translated at output). A worklist page codes 80 values: one dict each was 2 ms."""
    return dict(CODE_SYSTEMS[name][1]())


def coding(name: str, code: str, display: str = "") -> dict:
    if not display:
        display = _displays(name).get(code, "")
    item = {"system": system(name), "code": code}
    if display:
        item["display"] = str(display)
    return item


def concept(name: str, code: str, display: str = "") -> dict:
    return {"coding": [coding(name, code, display)]}


def code_system(name: str) -> dict:
    title, concepts = CODE_SYSTEMS[name]
    items = concepts()
    return {
        "resourceType": "CodeSystem",
        "id": name,
        "url": system(name),
        "version": thesaurus.version() if name == "besoins-soins" else "1",
        "name": name.replace("-", "_"),
        "title": title,
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "count": len(items),
        "concept": [{"code": code, "display": str(label)} for code, label in items],
    }


def read(ctx, name):
    if name not in CODE_SYSTEMS:
        raise NotFound("CodeSystem inconnu.")
    return code_system(name)


def search(ctx, params):
    from ..search import listing

    url = params.get("url")
    return listing(ctx, DEFINITION, [code_system(n) for n in CODE_SYSTEMS if not url or system(n) == url], params)


DEFINITION = register(
    ResourceDef(
        "CodeSystem",
        "Nomenclatures propres à Trajectoire (statuts, motifs, domaines, besoins en soins).",
        read=read,
        search=search,
        search_params=(SearchParam("url", "uri", "Adresse canonique du CodeSystem."),),
        text_ids=True,
    )
)
