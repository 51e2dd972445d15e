"""Official documents: verification codes and QR codes, the letterhead shared by every
letter, issued documents keyed by subject, the PAdES seal and the public ``/verify`` pages.

A shared mechanism: it imports no domain. A domain registers its subject type
(``registry.register_subject``) and then issues documents (``services.issue``), renders
letters extending ``templates/pdf/_letter.html`` (``letter.render_letter``) and seals them
(``sealing.seal``). See docs/pdf.md, "Using official documents from a new domain".
"""
