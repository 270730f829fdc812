"""What reviewers do to a processed story: correct its alignment, undo a correction, give each divergence a
verdict, and run the story again knowing what that discards. Services only, no HTTP: the views and the API call
these as ``review.merge(...)`` and turn a ReviewError into a message.

plans        which pairs a merge, split, move or detach replaces, and with what: pure, over the layout alone
corrections  a plan applied to the rows in one transaction, its divergences found again, and its undo
verdicts     a verdict on a divergence or a whole passage, and how far the review has come
locks        a pair locked (kept as it is when the story is aligned again) or unlocked
rerunning    what running the story again would put at risk, and the run itself
rechecking   the story's names checked again against its glossary, without aligning it again
"""

from .corrections import detach, merge, move, split, undo, undo_stack
from .locks import set_locked
from .plans import Group, Plan, ReviewError, plan_detach, plan_merge, plan_move, plan_split
from .rechecking import Rechecked, recheck
from .rerunning import ConfirmationNeeded, LostWork, lost_work, progress_and_risk, rerun
from .verdicts import Progress, progress, review_divergence, review_passage

__all__ = [
    "ConfirmationNeeded",
    "Group",
    "LostWork",
    "Plan",
    "Progress",
    "Rechecked",
    "ReviewError",
    "detach",
    "lost_work",
    "merge",
    "move",
    "plan_detach",
    "plan_merge",
    "plan_move",
    "plan_split",
    "progress",
    "progress_and_risk",
    "recheck",
    "rerun",
    "set_locked",
    "review_divergence",
    "review_passage",
    "split",
    "undo",
    "undo_stack",
]
