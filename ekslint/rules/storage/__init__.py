"""Rules of family I (storage): EBS and EFS StorageClasses and the claims that use them.

EBS volumes live in one Availability Zone and attach to one node at a time; EFS is a shared,
regional file system. Most storage mistakes on EKS come from forgetting one of those two facts,
or from classes written for the in-tree provisioner that EKS no longer runs natively.
"""
