"""The affinity-mapping board: cards and theme frames on a zoomable canvas."""
