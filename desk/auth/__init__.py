"""Secrets and sign-in mechanics: keyring, password verifiers, TOTP, sealing."""
