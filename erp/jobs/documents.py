"""The delivery note of a job, signed by the client at hand-over."""
from erp.documents.pdf import logo_data_uri, render_pdf
from erp.jobs.work_models import Job
from erp.settings.services import get_school


def delivery_note_pdf(job: Job) -> bytes:
    """Bon de livraison: what is delivered, to whom, where, with room for the client's signature."""
    school = get_school()
    return render_pdf("documents/delivery_note.html", job=job, school=school, logo=logo_data_uri(school))
