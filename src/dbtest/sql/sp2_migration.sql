-- smsup: the SP2 reshaping of an SMS 2003 site database's inventory data.
-- Valid on SQLite and PostgreSQL as written. `smsup dbtest` runs it in one
-- transaction on a copy, so it holds no BEGIN/COMMIT of its own.
--
-- What it models (docs/dbtest.md): SP2 changes how SMS stores inventory, so
-- the upgrade moves "significant amounts of data" inside the site database:
--  1. software inventory file paths move out of every inventory row into a
--     deduplicated SoftwareFilePath table; the inventory is rewritten with the
--     product of each file and a path key, and re-indexed;
--  2. a per-client product summary (SoftwareProductClient) is built;
--  3. hardware inventory keeps history: Add/Remove Programs gets a _HIST copy;
--  4. status messages get an index by time; the schema version becomes SP2.
-- The exact SP2 table layouts are not public; this is an assumption with the
-- same kind of work: large INSERT ... SELECT, new indexes, dropped tables.
--
-- Rows that must survive the migration (checked by smsup dbtest):
-- smsup:keep-rows System_DISC MachineIdGroupXRef SoftwareInventory
-- smsup:keep-rows Add_Remove_Programs_DATA StatusMessages SoftwareFile

CREATE TABLE SoftwareFilePath (
  FilePathID INTEGER PRIMARY KEY,
  FilePath   VARCHAR(255) NOT NULL
);
INSERT INTO SoftwareFilePath (FilePathID, FilePath)
  SELECT ROW_NUMBER() OVER (ORDER BY FilePath), FilePath
  FROM (SELECT DISTINCT FilePath FROM SoftwareInventory) AS p;
CREATE UNIQUE INDEX SoftwareFilePath_FilePath ON SoftwareFilePath (FilePath);

CREATE TABLE SoftwareInventory_SP2 (
  ClientId         INTEGER NOT NULL,
  FileID           INTEGER NOT NULL,
  FilePathID       INTEGER NOT NULL,
  ProductID        INTEGER NOT NULL,
  FileSize         INTEGER NOT NULL,
  FileModifiedDate TIMESTAMP NOT NULL,
  FileVersion      VARCHAR(32) NOT NULL
);
INSERT INTO SoftwareInventory_SP2
  (ClientId, FileID, FilePathID, ProductID, FileSize, FileModifiedDate, FileVersion)
  SELECT si.ClientId, si.FileID, fp.FilePathID, sf.ProductID, sf.FileSize,
         si.FileModifiedDate, sf.FileVersion
  FROM SoftwareInventory si
  JOIN SoftwareFile sf ON sf.FileID = si.FileID
  JOIN SoftwareFilePath fp ON fp.FilePath = si.FilePath;
DROP TABLE SoftwareInventory;
ALTER TABLE SoftwareInventory_SP2 RENAME TO SoftwareInventory;
CREATE INDEX SoftwareInventory_ClientFile ON SoftwareInventory (ClientId, FileID);
CREATE INDEX SoftwareInventory_FileID ON SoftwareInventory (FileID);
CREATE INDEX SoftwareInventory_ProductID ON SoftwareInventory (ProductID);

CREATE TABLE SoftwareProductClient (
  ClientId     INTEGER NOT NULL,
  ProductID    INTEGER NOT NULL,
  FileCount    INTEGER NOT NULL,
  LastModified TIMESTAMP NOT NULL,
  PRIMARY KEY (ClientId, ProductID)
);
INSERT INTO SoftwareProductClient (ClientId, ProductID, FileCount, LastModified)
  SELECT ClientId, ProductID, COUNT(*), MAX(FileModifiedDate)
  FROM SoftwareInventory GROUP BY ClientId, ProductID;

CREATE TABLE Add_Remove_Programs_HIST (
  MachineID     INTEGER NOT NULL,
  InstanceKey   INTEGER NOT NULL,
  RevisionID    INTEGER NOT NULL,
  TimeKey       TIMESTAMP NOT NULL,
  DisplayName00 VARCHAR(128) NOT NULL,
  Publisher00   VARCHAR(64) NOT NULL,
  Version00     VARCHAR(32) NOT NULL,
  PRIMARY KEY (MachineID, InstanceKey, RevisionID)
);
INSERT INTO Add_Remove_Programs_HIST
  SELECT MachineID, InstanceKey, RevisionID, TimeKey, DisplayName00, Publisher00, Version00
  FROM Add_Remove_Programs_DATA;

CREATE INDEX StatusMessages_Time ON StatusMessages (Time);

UPDATE SiteSettings SET Value = '2.50.4160.2000' WHERE Name = 'SchemaVersion';
