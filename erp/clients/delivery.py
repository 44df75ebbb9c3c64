"""The client's space: one private link to all their quotes and invoices."""
from flask import render_template
from flask_babel import force_locale

from erp.clients.models import Client
from erp.mail.services import send_mail
from erp.portal.services import issue_link, revoke_links, token_for
from erp.settings.services import get_school
from erp.web import public_url


def send_space_link(actor, client: Client) -> str:
    """Replace the client's space link with a new one and e-mail it when the client has an address."""
    revoke_links(actor, "client", client.id)
    link = issue_link(actor, document_type="client", document_id=client.id, client_id=client.id)
    url = public_url("portal.client_space", token=token_for(link))
    if client.email:
        school = get_school()
        with force_locale("fr"):
            body = render_template("mail/client_space.txt", client=client, school=school, url=url, link=link)
        send_mail(client.email, f"Vos devis et factures — {school.legal_name}", body, sender_name=school.legal_name,
                  record=client)
    return url
