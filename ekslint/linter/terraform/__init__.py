"""Terraform: HCL files read with tree-sitter, evaluated statically, mapped onto the cluster model."""
