"""Division des communications: register of official accounts (policy section 8), logo-use
authorizations (§3.2) and changes to official accounts (§3.3)."""
