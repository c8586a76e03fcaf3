-- Data and log files of the current database: size, growth and maximum (SQL Server 2000).
SELECT name, filename, size * 8 / 1024 AS size_mb,
       CASE WHEN status & 0x100000 <> 0 THEN CONVERT(varchar(12), growth) + '%'
            ELSE CONVERT(varchar(12), growth * 8 / 1024) + ' MB' END AS growth,
       maxsize
FROM sysfiles
GO
EXEC sp_spaceused
GO
