"""Mail commands: the daily digest (run it from cron once a day), which also retries failed mail."""

from api.cli.base import app
from api.db import get_engine, unit_of_work
from api.services import mail, notifications
from api.settings import get_settings


@app.command("digest")
def digest() -> None:
    """Mail everyone who chose the daily digest what they were not mailed yet; retry mail that failed."""
    settings = get_settings()
    engine = get_engine()
    with unit_of_work(engine) as session:
        queued = notifications.queue_digests(session)
    report = mail.deliver_due(engine, mail.transport_for(settings), settings.mail_from)
    print(
        f"digest: {queued} digest{'s' if queued != 1 else ''} queued; {report.sent} mail sent"
        + (f", {report.failed} failed (kept, tried again at the next run)" if report.failed else "")
    )
    if report.failed:
        raise SystemExit(1)
