"""The citations' name style keeps each person's formatted last name (adapters/references.py):
the same text as sphinxcontrib-bibtex's "last" style, formatted once per person."""

from __future__ import annotations

from ldn_guide.adapters.references import RememberedLastNames
from pybtex.database import Person
from sphinxcontrib.bibtex.style.names.last import LastNameStyle


def test_a_remembered_last_name_reads_as_the_last_name_style_writes_it():
    style, plain = RememberedLastNames(), LastNameStyle()
    for name in ("Sm{\\aa}brekke, Leif", "van der Berg, Anna", "{World Health Organization}",
                 "O'Brien, Mary"):
        person = Person(name)
        assert str(style.format(person)) == str(plain.format(person).format())


def test_each_person_is_formatted_once():
    style = RememberedLastNames()
    first = style.format(Person("Younger, Jarred"))
    assert style.format(Person("Younger, Jarred")) is first  # kept, not formatted again
    assert style.format(Person("Younger, Jared")) is not first  # another spelling, another name
