-- smsup: an SMS 2003 (RTM/SP1) site database, reduced to the tables the SP2
-- upgrade touches. Valid on SQLite and PostgreSQL as written (portable types:
-- INTEGER, BIGINT, VARCHAR, TIMESTAMP). Table and column names follow the SMS
-- 2003 site database (System_DISC, *_DATA, SoftwareFile, StatusMessages...);
-- the columns are a subset. See docs/dbtest.md for what is an assumption.

-- Site settings, including the replication flag dbtest refuses on (SQLite;
-- on PostgreSQL replication is a publication, see docs/dbtest.md).
CREATE TABLE SiteSettings (
  Name  VARCHAR(64) PRIMARY KEY,
  Value VARCHAR(256) NOT NULL
);

-- Site control file items (one row per item of the site control file).
CREATE TABLE SiteControl (
  SiteCode VARCHAR(3)   NOT NULL,
  ItemType VARCHAR(64)  NOT NULL,
  ItemName VARCHAR(128) NOT NULL,
  Body     TEXT         NOT NULL,
  PRIMARY KEY (SiteCode, ItemType, ItemName)
);

-- Discovery: resources and the System_DISC discovery data.
CREATE TABLE MachineIdGroupXRef (
  MachineID       INTEGER PRIMARY KEY,
  GUID            VARCHAR(64) NOT NULL,
  ArchitectureKey INTEGER NOT NULL,
  GroupKey        INTEGER NOT NULL
);

CREATE TABLE System_DISC (
  ItemKey                        INTEGER PRIMARY KEY,
  Name0                          VARCHAR(64) NOT NULL,
  SMS_Unique_Identifier0         VARCHAR(64) NOT NULL,
  Resource_Domain_OR_Workgroup0  VARCHAR(32) NOT NULL,
  Operating_System_Name_and0     VARCHAR(64) NOT NULL,
  Client0                        INTEGER NOT NULL,
  Client_Type0                   INTEGER NOT NULL,
  Client_Version0                VARCHAR(32) NOT NULL,
  SMS_Assigned_Site0             VARCHAR(3) NOT NULL,
  Creation_Date0                 TIMESTAMP NOT NULL,
  Decommissioned0                INTEGER NOT NULL
);

CREATE TABLE System_IP_Address_ARR (
  ItemKey       INTEGER NOT NULL,
  IP_Addresses0 VARCHAR(32) NOT NULL
);
CREATE INDEX System_IP_Address_ARR_ItemKey ON System_IP_Address_ARR (ItemKey);

-- Hardware inventory (one *_DATA table per inventory class).
CREATE TABLE Computer_System_DATA (
  MachineID          INTEGER PRIMARY KEY,
  RevisionID         INTEGER NOT NULL,
  TimeKey            TIMESTAMP NOT NULL,
  Manufacturer00     VARCHAR(64) NOT NULL,
  Model00            VARCHAR(64) NOT NULL,
  NumberOfProcessors00 INTEGER NOT NULL,
  UserName00         VARCHAR(64) NOT NULL
);

CREATE TABLE Operating_System_DATA (
  MachineID                 INTEGER PRIMARY KEY,
  RevisionID                INTEGER NOT NULL,
  TimeKey                   TIMESTAMP NOT NULL,
  Caption00                 VARCHAR(64) NOT NULL,
  CSDVersion00              VARCHAR(32) NOT NULL,
  Version00                 VARCHAR(32) NOT NULL,
  TotalVisibleMemorySize00  INTEGER NOT NULL
);

CREATE TABLE Logical_Disk_DATA (
  MachineID    INTEGER NOT NULL,
  InstanceKey  INTEGER NOT NULL,
  RevisionID   INTEGER NOT NULL,
  TimeKey      TIMESTAMP NOT NULL,
  DeviceID00   VARCHAR(8) NOT NULL,
  FileSystem00 VARCHAR(16) NOT NULL,
  Size00       INTEGER NOT NULL,
  FreeSpace00  INTEGER NOT NULL,
  PRIMARY KEY (MachineID, InstanceKey)
);

CREATE TABLE Add_Remove_Programs_DATA (
  MachineID     INTEGER NOT NULL,
  InstanceKey   INTEGER NOT NULL,
  RevisionID    INTEGER NOT NULL,
  TimeKey       TIMESTAMP NOT NULL,
  DisplayName00 VARCHAR(128) NOT NULL,
  Publisher00   VARCHAR(64) NOT NULL,
  Version00     VARCHAR(32) NOT NULL,
  PRIMARY KEY (MachineID, InstanceKey)
);

-- Software inventory: the product and file catalogs, and one row per file
-- found on each client, with its path inline (the pre-SP2 shape).
CREATE TABLE SoftwareProduct (
  ProductID       INTEGER PRIMARY KEY,
  CompanyName     VARCHAR(64) NOT NULL,
  ProductName     VARCHAR(128) NOT NULL,
  ProductVersion  VARCHAR(32) NOT NULL,
  ProductLanguage INTEGER NOT NULL
);

CREATE TABLE SoftwareFile (
  FileID          INTEGER PRIMARY KEY,
  FileName        VARCHAR(64) NOT NULL,
  FileVersion     VARCHAR(32) NOT NULL,
  FileSize        INTEGER NOT NULL,
  FileDescription VARCHAR(128) NOT NULL,
  ProductID       INTEGER NOT NULL
);

CREATE TABLE SoftwareInventory (
  ClientId         INTEGER NOT NULL,
  FileID           INTEGER NOT NULL,
  FilePath         VARCHAR(255) NOT NULL,
  FileModifiedDate TIMESTAMP NOT NULL
);
CREATE INDEX SoftwareInventory_ClientId ON SoftwareInventory (ClientId);

-- Status messages and their insertion strings.
CREATE TABLE StatusMessages (
  RecordID    INTEGER PRIMARY KEY,
  MessageID   INTEGER NOT NULL,
  Severity    INTEGER NOT NULL,
  ModuleName  VARCHAR(32) NOT NULL,
  Component   VARCHAR(64) NOT NULL,
  MachineName VARCHAR(64) NOT NULL,
  SiteCode    VARCHAR(3) NOT NULL,
  Time        TIMESTAMP NOT NULL
);

CREATE TABLE StatusMessageInsStrs (
  RecordID    INTEGER NOT NULL,
  InsStrIndex INTEGER NOT NULL,
  InsStrValue VARCHAR(255) NOT NULL,
  PRIMARY KEY (RecordID, InsStrIndex)
);
