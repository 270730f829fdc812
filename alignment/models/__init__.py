"""The nouns of the product. A Story has two Documents of Sentences, aligned into Pairs with Divergences,
computed by Jobs, reviewed in Edits, recorded in the audit log (alignment.models.stories), and shown to others
through ShareLinks (alignment.models.sharing). Stories gather in Collections, which batch imports fill and whose
furniture they learn (alignment.models.corpus). A user and a collection each keep a names glossary, whose changes
are re-checked over their stories (alignment.models.glossary). A user's API tokens and the files kept for an upload
form are in alignment.models.uploads."""

from alignment.models.corpus import (
    Collection, CollectionFurniture, FurnitureSource, ImportBatch, ImportItem, ImportItemStatus,
)
from alignment.models.stories import (
    CORRECTIONS, KIND_LABELS, AuditAction, AuditEntry, Divergence, DivergenceCategory, DivergenceKind, Document, Edit,
    EditAction, Job, JobStatus, Language, Pair, Sentence, SimilarityMap, Story, StoryQuerySet, Verdict,
)
from alignment.models.glossary import GlossaryEntry, GlossaryRecheck, RecheckStatus
from alignment.models.sharing import ShareLink, ShareScope
from alignment.models.uploads import ApiToken, PendingFile

__all__ = [
    "CORRECTIONS", "KIND_LABELS", "ApiToken", "AuditAction", "AuditEntry", "Collection", "CollectionFurniture",
    "Divergence", "DivergenceCategory", "DivergenceKind", "Document", "Edit", "EditAction", "FurnitureSource",
    "GlossaryEntry", "GlossaryRecheck", "ImportBatch", "ImportItem", "ImportItemStatus", "Job", "JobStatus",
    "Language", "Pair", "PendingFile", "RecheckStatus", "Sentence", "ShareLink", "ShareScope", "SimilarityMap",
    "Story", "StoryQuerySet", "Verdict",
]
