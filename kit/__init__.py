"""The shared kit: the form renderer and widgets with every Python twin of a template (`twins`),
choice fields (`forms`) and URL helpers (`urls`). It knows no app: nothing here imports one."""
