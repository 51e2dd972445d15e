"""Written consents of the clientele (policy §3.4): recording, coverage, publications and
their gate, withdrawals and take-downs, retention. See docs/consents.md."""
