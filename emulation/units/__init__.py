"""Units (sở, ban, ngành, xã/phường, enterprises), their clusters (cụm, khối thi đua) and the units
import."""
