"""Acknowledgements of the social-media policy: policy versions, campaigns, electronic and
paper signatures, printing (the public verification of issued documents is in documents/).

Modules: ``models``, ``services`` (one acknowledgement: sign, record, print), ``policy_services``
(versions and campaigns), ``views`` (the blueprint: employee pages, one acknowledgement for
HR) and ``policy_views`` (HR: versions, campaigns, bulk print). The domain's wiring (menu,
dashboard card, signal subscription, job handler, demo seeder) is in ``wiring.py``.
"""
