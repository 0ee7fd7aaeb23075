"""The plugin's entry point: importing this module registers its rules (one module per rule,
each with its Markdown doc beside it, as ekslint's own rules are laid out)."""

from acme_ekslint import ecr_images, required_team_label

__all__ = ["ecr_images", "required_team_label"]
