"""E-mail sent by the worker after the change that caused it was committed.

A mail server that is slow or down then neither slows nor fails the request, and a
rolled-back change sends nothing. Callers render the subject and body in the
recipient's language.
"""

import base64
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives

from . import jobs


def send_later(*, to, subject, body, html=None, attachments=(), reply_to=None):
    """Queue one e-mail. ``attachments`` are (filename, content, mimetype) with text or
    bytes content."""
    return send_mail.enqueue(
        to=list(to),
        subject=subject,
        body=body,
        html=html,
        reply_to=list(reply_to or []),
        attachments=[_encode(*attachment) for attachment in attachments],
    )


def _encode(filename, content, mimetype):
    if isinstance(content, bytes):
        return [filename, base64.b64encode(content).decode("ascii"), mimetype, "base64"]
    return [filename, content, mimetype, "text"]


@jobs.task(name="core.send_mail", timeout=timedelta(minutes=2), private=True)
def send_mail(*, to, subject, body, html, reply_to, attachments):
    message = EmailMultiAlternatives(subject, body, to=to, reply_to=reply_to)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype, encoding in attachments:
        if encoding == "base64":
            content = base64.b64decode(content)
        message.attach(filename, content, mimetype)
    message.send()
