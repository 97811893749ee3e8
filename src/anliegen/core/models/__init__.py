"""The domain model, one module per aggregate; import from here."""

from .agent import Agent, Membership, Presence
from .brand import Brand
from .case import Attachment, Case, CaseEvent, CaseState, Channel, Direction, Message, MessageKind
from .contact import Contact, Identity, IdentityKind, MergeProposal, VerificationCode
from .escalation import Escalation
from .incident import Incident
from .team import Team

__all__ = [
    "Agent",
    "Attachment",
    "Brand",
    "Case",
    "CaseEvent",
    "CaseState",
    "Channel",
    "Contact",
    "Direction",
    "Escalation",
    "Identity",
    "IdentityKind",
    "Incident",
    "Membership",
    "MergeProposal",
    "Message",
    "MessageKind",
    "Presence",
    "Team",
    "VerificationCode",
]
