"""Single sign-on through SEB (OpenID Connect): roles and scope derived from claims."""
