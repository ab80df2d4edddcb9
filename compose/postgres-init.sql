-- Runs once, on an empty data directory: postgres-memory's and ark-api-a2a's own databases (ark-apiserver uses POSTGRES_DB=ark).
CREATE DATABASE memory OWNER ark;
CREATE DATABASE a2a OWNER ark;
