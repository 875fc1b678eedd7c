"""The learning-platform exports of the teaching cases: GIFT, Moodle XML, QTI 1.2 and QTI 2.1.

Written by the build's prepare step (:func:`sitebuild.pipeline.prepare`) into
``teaching/`` of the site, from the case sets it has loaded and checked; the teachers' page
(``docs/teachers.md``) links each file and says how to import it. One module per format:
:mod:`sitebuild.lms_gift`, :mod:`sitebuild.lms_moodle`, :mod:`sitebuild.lms_qti` (with
:mod:`sitebuild.lms_calculated` for Moodle's calculated questions), over the shared texts of
:mod:`sitebuild.lms_text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitebuild.lms_gift import GIFT_FILE, to_gift
from sitebuild.lms_moodle import to_moodle_xml
from sitebuild.lms_qti import to_qti12, to_qti21

if TYPE_CHECKING:
    from pathlib import Path

    from sitebuild.cases_model import CaseSet

__all__ = ["GIFT_FILE", "MOODLE_XML_FILE", "QTI12_FILE", "QTI21_FILE", "write_exports"]

MOODLE_XML_FILE = "teaching/baclofen-cases-moodle.xml"
QTI12_FILE = "teaching/baclofen-cases-qti12-canvas.zip"
QTI21_FILE = "teaching/baclofen-cases-qti21.zip"


def write_exports(sets: list[CaseSet], site: Path, site_name: str = "") -> None:
    """Write the GIFT file, the Moodle XML file and the two QTI packages under ``site``."""
    (site / MOODLE_XML_FILE).parent.mkdir(parents=True, exist_ok=True)
    (site / GIFT_FILE).write_text(to_gift(sets, site_name), encoding="utf-8")
    (site / MOODLE_XML_FILE).write_text(to_moodle_xml(sets, site_name), encoding="utf-8")
    (site / QTI12_FILE).write_bytes(to_qti12(sets, site_name))
    (site / QTI21_FILE).write_bytes(to_qti21(sets, site_name))
