-- Users and database of every MySQL-family container (mysql-server.sh applies it once, binlog off).
-- The same accounts as the native provider's template (chaos/src/infra/native/mariadb-sql.ts),
-- plus root from any host: clients reach a container through Docker's port mapping.
SET SESSION sql_log_bin = 0;
CREATE USER 'root'@'%' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
CREATE USER 'cdc'@'%' IDENTIFIED BY 'cdcpw';
GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT, RELOAD, SHOW DATABASES, LOCK TABLES ON *.* TO 'cdc'@'%';
CREATE USER 'repl'@'%' IDENTIFIED BY 'replpw';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%';
CREATE DATABASE tidemark CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
