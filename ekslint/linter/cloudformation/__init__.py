"""CloudFormation (and CDK output): templates, their intrinsic functions, mapped onto the cluster model."""
