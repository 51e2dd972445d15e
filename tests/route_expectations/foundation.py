from tests.route_expectations import LOGIN, REDIRECT, Route, everyone, only

ROUTES = [
    Route("main.dashboard", "/", everyone(200)),
    Route("main.health", "/health", everyone(200, anonymous=200)),
    Route("main.set_locale", "/locale/en", everyone(REDIRECT, anonymous=REDIRECT), "POST"),
    Route("static", "/static/css/app.css", everyone(200, anonymous=200)),
    Route("auth.login", "/login", everyone(REDIRECT, anonymous=200)),
    Route("auth.logout", "/logout", everyone(LOGIN), "POST"),
    Route("auth.login_link", "/login/link", everyone(200, anonymous=200)),
    # An unknown, used or expired link: a page that says so.
    Route("auth.use_login_link", "/login/link/jeton-inconnu", everyone(404, anonymous=404)),
    Route("auth.change_password", "/account/password", everyone(200)),
    Route("people.index", "/people/", only("manager", "hr", "dg", "admin")),
    # A person of another service: outside the manager's team and the employee's own file.
    Route("people.show", lambda w: f"/people/{w.people['outsider'].id}",
          only("hr", "dg", "admin", others=404)),
    Route("people.show", lambda w: f"/people/{w.people['report'].id}",
          only("hr", "dg", "admin", "manager", "employee", others=404)),
    Route("organisation.settings", "/organisation/settings", only("admin")),
    Route("organisation.logo", "/organisation/logo", everyone(404, anonymous=404)),
    Route("audit.index", "/audit/", only("hr", "admin")),
    Route("audit.export", "/audit/export.csv", only("hr", "admin")),
    Route("mail.outbox", "/admin/outbox/", only("admin")),
]
