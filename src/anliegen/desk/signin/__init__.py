"""Signing in to the desk beyond the password: the second factor and sign-in through an identity provider."""
