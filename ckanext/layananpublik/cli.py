"""`ckan layananpublik ...`: commands of the main plugin."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

from ckanext.layananpublik import demo


@click.group(short_help="Layanan informasi publik (ckanext-layananpublik).")
def layananpublik() -> None:
    """Commands of ckanext-layananpublik."""


@layananpublik.command("demo")
@click.option("--admin-name", default="admin", show_default=True)
@click.option("--admin-password", required=True, help="Password set when the sysadmin is created.")
@click.option("--admin-email", default="admin@example.go.id", show_default=True)
def demo_command(admin_name: str, admin_password: str, admin_email: str) -> None:
    """Create the sysadmin and a small Indonesian demo catalogue (safe to run again)."""
    created = demo.ensure_sysadmin(admin_name, admin_password, admin_email)
    click.echo(f"sysadmin {admin_name}: {'created' if created else 'already there'}")
    for line in demo.load(admin_name):
        click.echo(line)


@layananpublik.command("send-reminders")
def send_reminders_command() -> None:
    """Email officers about requests near or past their deadline, requesters and superiors about
    missed ones, superiors about objections (run it from cron, e.g. hourly on working days;
    each reminder goes out once)."""
    sent = tk.get_action("layananpublik_request_send_reminders")({"ignore_auth": True}, {})
    click.echo(
        f"reminders sent: {sent['due_soon']} due soon, {sent['overdue']} overdue; missed deadlines told to "
        f"{sent['requester_overdue']} requesters and {sent['superior_overdue']} superiors' bodies; objections: "
        f"{sent['objection_due_soon']} due soon, {sent['objection_overdue']} overdue, "
        f"{sent['objection_requester_overdue']} requesters told the superior stayed silent; complaints: "
        f"{sent['complaint_due_soon']} due soon, {sent['complaint_overdue']} overdue; annual reports: "
        f"{sent['report_due_soon']} due soon, {sent['report_overdue']} overdue; social-media replies: "
        f"{sent['feedback_due_soon']} due soon, {sent['feedback_overdue']} overdue"
    )
