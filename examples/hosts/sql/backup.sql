-- BACKUP DATABASE of the database bsqldb was started in (-D {db}), to the
-- SQL Server's own backup folder: no name is written into SQL by smsup.
DECLARE @db sysname, @file nvarchar(400)
SET @db = DB_NAME()
SET @file = N'D:\SMSBackup\' + @db + N'-' + CONVERT(nvarchar(8), GETDATE(), 112) + N'.bak'
EXEC (N'BACKUP DATABASE ' + QUOTENAME(@db) + N' TO DISK = N''' + @file + N''' WITH INIT')
GO
