"""Acknowledgements of the social-media policy: policy versions, campaigns, electronic and
paper signatures, printing, and the public verification of issued documents.

Modules: ``models``, ``services`` (one acknowledgement: sign, record, print; verification),
``policy_services`` (versions and campaigns), ``views`` (the blueprint: employee pages, one
acknowledgement for HR, /verify) and ``policy_views`` (HR: versions, campaigns, bulk print).
"""
