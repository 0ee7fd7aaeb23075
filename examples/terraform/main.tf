# An EKS cluster in plain provider resources, with problems planted on purpose:
# `ekslint scan examples/terraform` finds each of them at the line that decides.

locals {
  azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

# /27 subnets: 27 usable addresses each, and the node group below can fill one of them.
resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 11, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_eks_cluster" "shop" {
  name     = "shop"
  role_arn = var.cluster_role_arn
  version  = var.kubernetes_version

  enabled_cluster_log_types = ["api", "audit", "authenticator"]

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = var.kms_key_arn
    }
  }

  # endpoint_public_access is true unless set, and public_access_cidrs defaults to 0.0.0.0/0.
  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
  }
}

resource "aws_eks_node_group" "orders" {
  cluster_name    = aws_eks_cluster.shop.name
  node_group_name = "orders"
  node_role_arn   = var.node_role_arn
  subnet_ids      = [aws_subnet.private[0].id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 2
  }

  update_config {
    max_unavailable = 1
  }

  remote_access {
    ec2_ssh_key = "ops"
  }
}
