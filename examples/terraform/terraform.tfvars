kubernetes_version = "1.31"
