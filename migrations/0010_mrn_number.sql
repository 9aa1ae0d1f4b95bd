-- 0010: an MRN found by its number alone. People read "MRN0000101" aloud as "one-oh-one" and type
-- "101"; the number is the MRN without its letter prefix and leading zeros, indexed as an
-- expression so the lookup is one seek. search.rs writes the same expression (MRN_NUMBER).
CREATE INDEX patient_mrn_number ON patient(ltrim(ltrim(upper(mrn), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_/. '), '0'))
    WHERE mrn IS NOT NULL;
