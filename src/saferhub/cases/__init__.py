"""Cases in each business area: subjects in roles, chronology, tasks, documents."""
