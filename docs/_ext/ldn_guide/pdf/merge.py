"""Join the whole guide's parts, each a tagged PDF of its own (parts.py), into one tagged PDF.

pikepdf (qpdf) copies the pages and everything they point to; what WeasyPrint wrote once per
document is joined here:

* the **structure tree**: each part's top-level structure elements go under the first part's
  Document element, and the parent tree (which maps each page's marked content and each link
  to its structure element) is numbered again, pages first, then links, as WeasyPrint numbers
  it;
* the **outline**: the later parts' bookmarks (their chapters) go under the first part's top
  bookmark (the guide's title), where one document would have nested them;
* the **named destinations**: one name tree for all parts; a link the parts wrote as a
  placeholder web address (``across``) becomes a link to its named destination;
* the **running footers**: each page of the footer document is drawn over its page, marked
  as a pagination artifact (PDF/UA: page furniture is not part of the structure).
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

FOOTER_XOBJECT = "/LDNRunningFooter"
ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"


@contextlib.contextmanager
def joined(parts: list[Path], across: str):
    """The parts' pages in order, as one open PDF (without footers: the footer document may
    still be being laid out while the parts are joined)."""
    with pikepdf.open(parts[0]) as merged:
        document = merged.Root.StructTreeRoot.K[0]
        entries = parent_tree_entries(merged, merged.pages, list(merged.pages), lambda o: o)
        copy = functools.partial(copied, merged)
        opened = [pikepdf.open(path) for path in parts[1:]]
        try:
            for part in opened:
                first = len(merged.pages)
                detached = detach_from_document(part)
                with warnings.catch_warnings():
                    # pikepdf warns that extend() leaves the named destinations behind:
                    # join_destinations copies all of them (add_pages_from would copy only
                    # those the part's own links name, and rename any that collide).
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                    merged.pages.extend(part.pages)
                pages = list(merged.pages)[first:]
                document.K.extend(merged.copy_foreign(element)
                                  for element in part.Root.StructTreeRoot.K[0].K)
                entries += parent_tree_entries(part, part.pages, pages, copy)
                for element in detached:  # the top-level elements among them
                    merged.copy_foreign(element).P = document
                join_destinations(merged, part, copy)
                join_outline(merged, part, first)
            number_parent_tree(merged, entries)
            links_across_parts(merged, across)
            yield merged
        finally:
            for part in opened:
                part.close()


def save_with_footers(merged, footers: Path, target: Path) -> None:
    """Lay the footer document's pages over the joined pages and write ``target``."""
    with pikepdf.open(footers) as footer_pdf:
        lay_footers_over(merged, footer_pdf)
        merged.save(target, deterministic_id=True, compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)


def parent_tree_entries(pdf, source_pages, merged_pages, copy) -> list:
    """Each page's and each link's entry in ``pdf``'s parent tree, as (merged page or link,
    structure), with the structure copied into the merged PDF."""
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    tree = {int(numbers[index]): numbers[index + 1] for index in range(0, len(numbers), 2)}
    pages, links = [], []
    for source, page in zip(source_pages, merged_pages, strict=True):
        pages.append((page.obj, copy(tree[int(source.obj.StructParents)])))
        for source_link, link in zip(source.obj.get("/Annots", []), page.obj.get("/Annots", []),
                                     strict=True):
            if "/StructParent" in source_link:
                links.append((link, copy(tree[int(source_link.StructParent)])))
    return [("page", *entry) for entry in pages] + [("link", *entry) for entry in links]


def number_parent_tree(merged, entries) -> None:
    """The parent tree numbered again: every page (in order), then every link."""
    ordered = [e for e in entries if e[0] == "page"] + [e for e in entries if e[0] == "link"]
    numbers = Array()
    for key, (kind, holder, structure) in enumerate(ordered):
        holder[Name.StructParents if kind == "page" else Name.StructParent] = key
        numbers.append(key)
        numbers.append(structure)
    merged.Root.StructTreeRoot.ParentTree = merged.make_indirect(Dictionary(Nums=numbers))


# Structure elements whose parent is a part's Document element: its top-level elements, and
# those of its running header (WeasyPrint gives them the Document as parent, outside its /K,
# and the parent tree maps only the elements below them).
DETACHED = Name("/LDNDetached")


def detach_from_document(part) -> list:
    """The part's elements whose parent is its Document element, with that link cut, so
    copying them does not copy the part's own Document and structure tree root with them.

    They are found up the chain of parents of each element the parent tree maps: a running
    header's elements are not in the Document's /K, and its marked content sits one level
    or more below them."""
    root = part.Root.StructTreeRoot
    document = root.K[0].objgen
    numbers = root.ParentTree.Nums
    candidates = list(root.K[0].K)
    for index in range(1, len(numbers), 2):
        value = numbers[index]
        candidates.extend(value if isinstance(value, Array) else [value])
    detached, climbed = [], set()
    for element in candidates:
        while isinstance(element, Dictionary) and element.objgen not in climbed:
            climbed.add(element.objgen)
            parent = element.get("/P")
            if isinstance(parent, Dictionary) and parent.objgen == document:
                element.P = DETACHED
                detached.append(element)
                break
            element = parent
    return detached


def copied(merged, value):
    """``value``, from another PDF, in ``merged``: indirect objects copied once (qpdf keeps
    the mapping, so a page or element already copied is the same object), direct arrays and
    dictionaries rebuilt around them."""
    if not isinstance(value, pikepdf.Object):  # numbers come as Python's own
        return value
    if value.is_indirect:
        return merged.copy_foreign(value)
    if isinstance(value, Array):
        return Array([copied(merged, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: copied(merged, item) for key, item in value.items()})
    return value


def join_destinations(merged, part, copy) -> None:
    names = merged.Root.Names.Dests if "/Names" in merged.Root else None
    if names is None:
        merged.Root.Names = Dictionary(Dests=pikepdf.NameTree.new(merged).obj)
        names = merged.Root.Names.Dests
    tree = pikepdf.NameTree(names)
    source = part.Root.get("/Names")
    if source is None or "/Dests" not in source:
        return
    for name, destination in pikepdf.NameTree(source.Dests).items():
        tree[name] = copy(destination)


def join_outline(merged, part, first_page: int) -> None:
    """The part's bookmarks under the merged PDF's last top-level bookmark (the guide's title,
    where one document nests every chapter)."""
    pages = {page.objgen: first_page + index for index, page in enumerate(part.pages)}
    with part.open_outline() as source, merged.open_outline() as outline:
        parent = outline.root[-1].children if outline.root else outline.root
        for item in source.root:
            parent.append(copied_bookmark(item, pages, merged))


def copied_bookmark(item, pages, merged):
    destination = item.destination
    if isinstance(destination, Array) and len(destination) and destination[0].is_indirect:
        destination = Array([merged.pages[pages[destination[0].objgen]].obj,
                             *destination[1:]])
    copy = pikepdf.OutlineItem(str(item.title), destination)
    copy.is_closed = item.is_closed
    copy.children.extend(copied_bookmark(child, pages, merged) for child in item.children)
    return copy


def links_across_parts(merged, across: str) -> None:
    """Links the parts wrote as ``across`` + name: links to the named destination."""
    for page in merged.pages:
        for link in page.obj.get("/Annots", []):
            action = link.get("/A")
            if action is None or action.get("/S") != Name.URI:
                continue
            uri = str(action.URI)
            if uri.startswith(across):
                name = uri[len(across):]
                del link.A
                link.Dest = String(name)
                link.Contents = String(name)


def lay_footers_over(merged, footer_pdf) -> None:
    """Draw footer page n over page n, as a pagination artifact."""
    for page, footer in zip(merged.pages, footer_pdf.pages, strict=True):
        instructions = [instruction for instruction in pikepdf.parse_content_stream(footer)
                        if str(instruction.operator) not in ("BDC", "BMC", "EMC")]
        footer.obj.Contents = footer_pdf.make_stream(
            ARTIFACT + pikepdf.unparse_content_stream(instructions) + b"\nEMC")
        form = merged.copy_foreign(footer.as_form_xobject())
        resources = page.obj.Resources
        xobjects = dict(resources.get("/XObject", {}))
        name = f"{FOOTER_XOBJECT}{len(xobjects)}"
        page.obj.Resources = Dictionary({**dict(resources), "/XObject":
                                         Dictionary({**xobjects, name: form})})
        page.contents_add(merged.make_stream(b"q"), prepend=True)
        page.contents_add(merged.make_stream(
            b"Q\n" + ARTIFACT + b"q " + name.encode() + b" Do Q\nEMC"))
