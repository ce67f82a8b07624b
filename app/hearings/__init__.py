"""Committee hearings and their agendas."""
