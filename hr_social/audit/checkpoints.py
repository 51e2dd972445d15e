"""Verify the chain against its checkpoints, and write new ones (cron, each backup)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.audit.anchor import append_checkpoint, checkpoint_file, read_checkpoints
from hr_social.audit.services import (
    CONTENT_MISMATCH,
    PREVIOUS_MISMATCH,
    UNKEYED_AFTER_KEYED,
    ChainReport,
    verify_chain,
)
from hr_social.db import db
from hr_social.mail.services import deliver_queued, queue_mail

MAX_SHOWN = 10
REASONS = {
    PREVIOUS_MISMATCH: _l("l'empreinte précédente ne correspond pas"),
    CONTENT_MISMATCH: _l("le contenu ne correspond pas à son empreinte : entrée modifiée, "
                         "ou clé AUDIT_HMAC_KEY différente"),
    UNKEYED_AFTER_KEYED: _l("entrée sans clé après des entrées signées avec la clé"),
}


def explain(report: ChainReport, bullet: str = "  - ") -> list[str]:
    """Every problem of a report, in the operator's language."""
    problems = []
    if report.first_broken_id is not None:
        problems.append(_("Chaîne d'audit rompue à l'entrée %(id)s (%(reason)s) ; %(n)d "
                          "entrées valides avant elle.", id=report.first_broken_id,
                          reason=REASONS.get(report.reason, report.reason), n=report.checked))
    if report.checkpoint_problems:
        problems.append(_("Le journal ne concorde pas avec les points de contrôle de "
                          "%(file)s :", file=checkpoint_file()))
        # A rewrite contradicts every later checkpoint: the first few say where it is.
        shown = report.checkpoint_problems[:MAX_SHOWN]
        problems.extend(f"{bullet}{problem}" for problem in shown)
        if hidden := len(report.checkpoint_problems) - len(shown):
            problems.append(bullet + _("… et %(n)d autre(s).", n=hidden))
    return problems


def verify_anchored(session=None, *, older_copy: bool = False) -> ChainReport:
    """The chain, then every checkpoint of the file (unreadable lines are problems too)."""
    checkpoints, problems = read_checkpoints()
    report = verify_chain(session, checkpoints=checkpoints, older_copy=older_copy)
    report.checkpoint_problems[:0] = problems
    return report


@dataclass
class CheckpointResult:
    report: ChainReport
    written: bool = False
    emailed_to: str | None = None


def take_checkpoint(reason: str) -> CheckpointResult:
    """Append the head hash and entry count, after checking that the database still agrees
    with the earlier checkpoints (a checkpoint must never bless a tampered trail)."""
    report = verify_anchored()
    result = CheckpointResult(report)
    if not report.ok:
        return result
    line = append_checkpoint(report.checked, report.head_id, report.head_hash, reason)
    result.written = True
    if address := current_app.config.get("AUDIT_CHECKPOINT_EMAIL"):
        # A copy that has left the building: the file can be lost or edited with the server.
        queue_mail(address, _("Point de contrôle du journal d'audit : %(n)d entrées",
                              n=report.checked),
                   _("Entrées : %(n)d\nDernière entrée : n° %(id)s\nEmpreinte : %(hash)s\n"
                     "Fichier : %(file)s\n\nLigne écrite :\n%(line)s",
                     n=report.checked, id=report.head_id or "—",
                     hash=report.head_hash or "—", file=checkpoint_file(), line=line))
        db.session.commit()
        deliver_queued()
        result.emailed_to = address
    return result
