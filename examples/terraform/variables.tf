variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "kubernetes_version" {
  type = string
}

variable "cluster_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/eks-cluster"
}

variable "node_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/eks-node"
}

variable "kms_key_arn" {
  type    = string
  default = "arn:aws:kms:eu-west-1:123456789012:key/0b4f6e0c-4a8f-4a3b-9c1e-5d2f7a8b9c0d"
}
