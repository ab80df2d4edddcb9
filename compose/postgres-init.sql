-- Runs once, on an empty data directory: postgres-memory's own database (ark-apiserver uses POSTGRES_DB=ark).
CREATE DATABASE memory OWNER ark;
