"""Every asserted claim -> proposition relation has its reviewed description.

A pe:supports / pe:challenges / pe:qualifies in data/ needs a
pe:EvidenceRelation of the same claim, proposition and direction (the files
data/relations-*.ttl), which the shapes then require to have a basis, a
rationale and excerpts. A SHACL-SPARQL constraint can say the same, but it
tripled the time of validation on pySHACL, so this is a set difference.
"""
from __future__ import annotations

from rdflib import Namespace

from kg.pipeline.lines import short, where

PE = Namespace("https://w3id.org/practitioner-evidence/ontology#")
DIRECTIONS = {PE.supports: PE.Supports, PE.challenges: PE.Challenges, PE.qualifies: PE.Qualifies}


def relation_problems(data, dataset, by_graph) -> list[str]:
    """One line, FILE:LINE of the claim, per relation without its description."""
    described = {(claim, data.value(node, PE.proposition), data.value(node, PE.direction))
                 for claim, node in data.subject_objects(PE.qualifiedRelation)}
    lines = []
    for prop, direction in DIRECTIONS.items():
        for claim, proposition in data.subject_objects(prop):
            if (claim, proposition, direction) not in described:
                lines.append(f"{where(claim, dataset, by_graph, prop)}: {short(claim)}: its {short(prop)} "
                             f"{short(proposition)} has no pe:EvidenceRelation with that direction "
                             "(add one in data/relations-*.ttl)")
    return sorted(lines)
