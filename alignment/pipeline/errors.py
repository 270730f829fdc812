class PipelineError(ValueError):
    """Input the pipeline cannot work with. The message is written for the person who supplied it.

    ``side`` names the offending side ("en" or "ru") when the problem belongs to one of them, so a form
    can attach the message to the right field. ``code`` is a stable machine-readable name for the problem
    (empty, binary, too_many_sentences, wrong_language, same_language, swapped, ...).
    """

    def __init__(self, message: str, side: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.side = side
        self.code = code
