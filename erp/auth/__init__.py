"""Users, roles, login, and the role policy of every endpoint."""
