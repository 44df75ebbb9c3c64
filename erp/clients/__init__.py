"""The school's clients: companies, public bodies, associations and individuals."""
