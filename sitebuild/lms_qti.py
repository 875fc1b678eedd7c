r"""QTI packages of the teaching cases: QTI 1.2 for Canvas, QTI 2.1 for Blackboard and OpenOLAT.

Both are IMS content packages (a zip with ``imsmanifest.xml``) holding every question of every
case set, answered by the engine when the site was built:

- **QTI 1.2** (:func:`to_qti12`): one assessment per case set (``<set>/<set>.xml``), each a
  ``questestinterop`` with Canvas's item metadata (``question_type``): a number question is a
  ``numerical_question`` (``response_str`` with a decimal ``render_fib``) scored right from
  ``answer - tolerance`` to ``answer + tolerance`` (``vargte``/``varlte``), the form Canvas
  itself exports for "exact answer with margin"; a choice question is a
  ``multiple_choice_question`` (``response_lid``, options shuffled). The explanation and
  sources are the general feedback (``itemfeedback ident="general_fb"``).
- **QTI 2.1** (:func:`to_qti21`): one ``assessmentItem`` file per question under ``items/``
  and an ``assessmentTest`` (``test.xml``) with one section per case set. A number question
  is a ``textEntryInteraction`` with a float response, scored by ``equal`` with an absolute
  tolerance; a choice question a ``choiceInteraction`` (``shuffle="true"``). The
  explanation is a ``modalFeedback``.

Neither QTI version has units: the unit is asked for in the text, "Answer in mg/day (number
only)", as in the GIFT file. Written here with lxml rather than with ``qti-package-maker``:
its numerical items carry an answer and a tolerance but no feedback (the explanation and the
sources would be lost), its QTI 2.1 identifiers are random (each build would differ), and it
writes through the working directory. Zip entries have a fixed date, so a build is
reproducible byte for byte.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from html.entities import html5
from typing import TYPE_CHECKING

from lxml import etree

from calculators.spec import format_number
from sitebuild import SiteBuildError
from sitebuild.lms_text import feedback_html, option_html, question_html

if TYPE_CHECKING:
    from sitebuild.cases_model import Case, CaseSet, Question

__all__ = ["QTI12", "QTI21", "item_id", "to_qti12", "to_qti21", "zip_bytes"]

QTI12 = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMAS = {
    QTI12: "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd",
    QTI21: "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1p2.xsd",
    IMSCP: "http://www.imsglobal.org/xsd/imscp_v1p1.xsd",
}
# The XHTML that QTI 2.1 allows in an item body and feedback, of what our Markdown gives.
XHTML_21 = frozenset(
    {"p", "div", "span", "strong", "em", "b", "i", "sup", "sub", "code", "br", "ul", "ol", "li"}
)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest: no build time in the file
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def item_id(case: Case, q: Question) -> str:
    """The question's identifier in both packages: ``q-<case>-<question>`` (an XML name)."""
    return f"q-{case.id}-{q.id}"


def _root(tag: str, namespace: str, **attrs: str) -> etree._Element:
    root = etree.Element(f"{{{namespace}}}{tag}", nsmap={None: namespace, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{namespace} {_SCHEMAS[namespace]}")
    for key, value in attrs.items():
        root.set(key, value)
    return root


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    namespace = etree.QName(parent).namespace
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` (name -> content) in name order, each dated 1980-01-01."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def _questions(sets: list[CaseSet]) -> list[tuple[CaseSet, int, Case, int, Question]]:
    return [
        (case_set, number, case, qn, q)
        for case_set in sets
        for number, case in enumerate(case_set.cases, 1)
        for qn, q in enumerate(case.questions, 1)
    ]


def _manifest(identifier: str, title: str, resources: list[etree._Element]) -> bytes:
    manifest = _root("manifest", IMSCP, identifier=identifier)
    metadata = _sub(manifest, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    organizations = _sub(manifest, "organizations")
    organizations.set("default", "")
    holder = _sub(manifest, "resources")
    for resource in resources:
        holder.append(resource)
    manifest.insert(0, etree.Comment(f" {title} "))
    return _bytes(manifest)


def _resource(
    identifier: str, kind: str, href: str, depends: tuple[str, ...] = ()
) -> etree._Element:
    resource = etree.Element(
        f"{{{IMSCP}}}resource", {"identifier": identifier, "type": kind, "href": href}
    )
    etree.SubElement(resource, f"{{{IMSCP}}}file", {"href": href})
    for other in depends:
        etree.SubElement(resource, f"{{{IMSCP}}}dependency", {"identifierref": other})
    return resource


def _bounds(q: Question) -> tuple[str, str, str]:
    """The answer as the key shows it, and the lowest and highest accepted (6 places at most).

    A platform shows the answer as the right one, so it is the key's rounded value (review
    minor 3: not 1.785714 for 1.8%), with the tolerance around it; the engine's unrounded
    value lies inside (:mod:`sitebuild.cases_model` checks it).
    """
    return (
        format_number(q.rounded, 6),
        format_number(q.rounded - q.tolerance, 6),
        format_number(q.rounded + q.tolerance, 6),
    )


# --- QTI 1.2 (Canvas) -------------------------------------------------------------------------


def _field(parent: etree._Element, label: str, entry: str) -> None:
    field = _sub(parent, "qtimetadatafield")
    _sub(field, "fieldlabel", label)
    _sub(field, "fieldentry", entry)


def _mattext(parent: etree._Element, text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", text, texttype="text/html")


def _item12(section: etree._Element, number: int, case: Case, qn: int, q: Question) -> None:
    ident = item_id(case, q)
    item = _sub(section, "item", ident=ident, title=f"{case.id} {qn}: {case.title}")
    metadata = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    choice = q.type == "choice"
    kind = "multiple_choice_question" if choice else "numerical_question"
    _field(metadata, "question_type", kind)
    _field(metadata, "points_possible", "1")
    presentation = _sub(item, "presentation")
    _mattext(presentation, question_html(number, case, q))
    processing = _sub(item, "resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    general = _sub(processing, "respcondition", **{"continue": "Yes"})
    _sub(_sub(general, "conditionvar"), "other")
    _sub(general, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    right = _sub(processing, "respcondition", **{"continue": "No"})
    condition = _sub(right, "conditionvar")
    if choice:
        answer_ids = [f"{ident}-{i}" for i in range(1, len(q.options) + 1)]
        _field(metadata, "original_answer_ids", ",".join(answer_ids))
        response = _sub(presentation, "response_lid", ident="response1", rcardinality="Single")
        render = _sub(response, "render_choice", shuffle="Yes")  # feedback names no letter
        for i, option in enumerate(q.options, 1):
            _mattext(_sub(render, "response_label", ident=f"{ident}-{i}"), option_html(option))
        _sub(condition, "varequal", f"{ident}-{q.correct}", respident="response1")
    else:
        response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
        _sub(_sub(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
        value, low, high = _bounds(q)
        either = _sub(condition, "or")
        _sub(either, "varequal", value, respident="response1")
        both = _sub(either, "and")
        _sub(both, "vargte", low, respident="response1")
        _sub(both, "varlte", high, respident="response1")
    _sub(right, "setvar", "100", action="Set", varname="SCORE")
    feedback = _sub(item, "itemfeedback", ident="general_fb")
    _mattext(_sub(feedback, "flow_mat"), feedback_html(case, q))


def to_qti12(sets: list[CaseSet], site_name: str = "") -> bytes:
    """The QTI 1.2 package (zip bytes): one assessment per case set, Canvas's item metadata."""
    title = f"{site_name or 'Baclofen dosing'}: teaching cases (QTI 1.2, for Canvas)"
    files: dict[str, bytes] = {}
    resources = []
    for case_set in sets:
        root = _root("questestinterop", QTI12)
        assessment = _sub(root, "assessment", ident=f"set-{case_set.id}", title=case_set.title)
        section = _sub(assessment, "section", ident=f"set-{case_set.id}-section")
        for _, number, case, qn, q in _questions([case_set]):
            _item12(section, number, case, qn, q)
        href = f"{case_set.id}/{case_set.id}.xml"
        files[href] = _bytes(root)
        resources.append(_resource(f"set-{case_set.id}", "imsqti_xmlv1p2", href))
    files["imsmanifest.xml"] = _manifest("baclofen-cases-qti12", title, resources)
    return zip_bytes(files)


# --- QTI 2.1 (Blackboard, OpenOLAT) -----------------------------------------------------------

_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


def _xhtml(parent: etree._Element, text: str, where: str) -> None:
    """Append HTML ``text`` to ``parent`` as QTI 2.1 XHTML; refuse an element QTI lacks."""
    text = _ENTITY.sub(
        lambda m: m[0] if m[1] in _XML_ENTITIES else html.escape(html5.get(m[1] + ";", m[0])),
        text,
    )
    try:
        holder = etree.fromstring(f"<div>{text}</div>")  # our own Markdown's HTML
    except etree.XMLSyntaxError as exc:
        raise SiteBuildError(f"{where}: its HTML is not well-formed for QTI 2.1 ({exc})") from None
    namespace = etree.QName(parent).namespace
    for element in holder.iter():
        if element.tag not in XHTML_21:
            raise SiteBuildError(
                f"{where}: <{element.tag}> is not in the XHTML QTI 2.1 allows here "
                f"({', '.join(sorted(XHTML_21))}); change the case text."
            )
        element.tag = f"{{{namespace}}}{element.tag}"
    if parent.text is None and len(parent) == 0:
        parent.text = holder.text
    elif len(parent):
        parent[-1].tail = (parent[-1].tail or "") + (holder.text or "")
    else:
        parent.text += holder.text or ""
    parent.extend(list(holder))


def _outcome(item: etree._Element, identifier: str, base: str, default: str | None) -> None:
    outcome = _sub(item, "outcomeDeclaration", identifier=identifier, cardinality="single")
    outcome.set("baseType", base)
    if default is not None:
        _sub(_sub(outcome, "defaultValue"), "value", default)


def _set_outcome(parent: etree._Element, identifier: str, base: str, value: str) -> None:
    _sub(_sub(parent, "setOutcomeValue", identifier=identifier), "baseValue", value, baseType=base)


def _item21(number: int, case: Case, qn: int, q: Question, where: str) -> bytes:
    choice = q.type == "choice"
    item = _root(
        "assessmentItem",
        QTI21,
        identifier=item_id(case, q),
        title=f"{case.id} {qn}: {case.title}",
        adaptive="false",
        timeDependent="false",
    )
    declaration = _sub(item, "responseDeclaration", identifier="RESPONSE", cardinality="single")
    declaration.set("baseType", "identifier" if choice else "float")
    value, _, _ = _bounds(q)
    _sub(_sub(declaration, "correctResponse"), "value", f"choice-{q.correct}" if choice else value)
    _outcome(item, "SCORE", "float", "0")
    _outcome(item, "MAXSCORE", "float", "1")
    _outcome(item, "FEEDBACK", "identifier", None)
    body = _sub(item, "itemBody")
    _xhtml(_sub(body, "div"), question_html(number, case, q), f"{where}: text")
    if choice:
        interaction = _sub(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="true")
        interaction.set("maxChoices", "1")
        for i, option in enumerate(q.options, 1):
            simple = _sub(interaction, "simpleChoice", identifier=f"choice-{i}")
            _xhtml(simple, option_html(option), f"{where}: option {i}")
    else:
        _sub(_sub(body, "p"), "textEntryInteraction", responseIdentifier="RESPONSE")
    processing = _sub(item, "responseProcessing")
    condition = _sub(processing, "responseCondition")
    right = _sub(condition, "responseIf")
    if choice:
        test = _sub(right, "match")
    elif q.tolerance:
        tolerance = format_number(q.tolerance, 6)
        test = _sub(right, "equal", toleranceMode="absolute", tolerance=f"{tolerance} {tolerance}")
        test.set("includeLowerBound", "true")
        test.set("includeUpperBound", "true")
    else:
        test = _sub(right, "equal", toleranceMode="exact")
    _sub(test, "variable", identifier="RESPONSE")
    _sub(test, "correct", identifier="RESPONSE")
    _set_outcome(right, "SCORE", "float", "1")
    _set_outcome(_sub(condition, "responseElse"), "SCORE", "float", "0")
    _set_outcome(processing, "FEEDBACK", "identifier", "explanation")
    feedback = _sub(item, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier="explanation")
    feedback.set("showHide", "show")
    feedback.set("title", "Answer")
    _xhtml(feedback, feedback_html(case, q), f"{where}: feedback")
    return _bytes(item)


def to_qti21(sets: list[CaseSet], site_name: str = "") -> bytes:
    """The QTI 2.1 package (zip bytes): an item file per question and a test, one section a set."""
    title = f"{site_name or 'Baclofen dosing'}: teaching cases (QTI 2.1)"
    files: dict[str, bytes] = {}
    resources = []
    test = _root("assessmentTest", QTI21, identifier="baclofen-cases", title=title)
    _outcome(test, "SCORE", "float", "0")
    part = _sub(test, "testPart", identifier="cases")
    part.set("navigationMode", "nonlinear")
    part.set("submissionMode", "individual")
    sections: dict[str, etree._Element] = {}
    ids: list[str] = []
    for case_set, number, case, qn, q in _questions(sets):
        if case_set.id not in sections:
            section = _sub(part, "assessmentSection", identifier=f"set-{case_set.id}")
            section.set("title", case_set.title)
            section.set("visible", "true")
            sections[case_set.id] = section
        identifier = item_id(case, q)
        href = f"items/{identifier}.xml"
        where = f"{case_set.file}: case {case.id!r}, question {q.id!r}"
        files[href] = _item21(number, case, qn, q, where)
        _sub(sections[case_set.id], "assessmentItemRef", identifier=identifier, href=href)
        resources.append(_resource(identifier, "imsqti_item_xmlv2p1", href))
        ids.append(identifier)
    processing = _sub(test, "outcomeProcessing")
    total = _sub(_sub(processing, "setOutcomeValue", identifier="SCORE"), "sum")
    _sub(total, "testVariables", variableIdentifier="SCORE")
    files["test.xml"] = _bytes(test)
    resources.insert(
        0, _resource("baclofen-cases-test", "imsqti_test_xmlv2p1", "test.xml", tuple(ids))
    )
    files["imsmanifest.xml"] = _manifest("baclofen-cases-qti21", title, resources)
    return zip_bytes(files)
