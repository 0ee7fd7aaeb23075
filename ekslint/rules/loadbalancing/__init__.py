"""Rules of family J: load balancing with the AWS Load Balancer Controller (LBC).

On EKS an Ingress becomes an Application Load Balancer and a ``type: LoadBalancer`` Service a
Network Load Balancer only when the AWS Load Balancer Controller handles them; otherwise the legacy
in-tree cloud provider makes a Classic LB (or an in-tree NLB), or another controller (nginx, istio)
does the work and the AWS annotations mean nothing. Every rule here first decides *who handles the
object* (``_lbc.py``) and stays silent about objects of other controllers, then reads the effective
setting the controller would use: IngressClassParams over annotations, backend Service annotations
over Ingress annotations, documented defaults (target type ``instance``, scheme ``internal``) when unset.
"""
