-- A bank made by an import now has the source of one made by `bank create`: `partner`. The import
-- format of each import stays in bank_imports.format.
UPDATE `banks` SET `source` = 'partner' WHERE `source` IN ('csv', 'vics');
