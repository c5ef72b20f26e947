"""What the usual contact exports of Salesforce, HubSpot and Dynamics 365 call each field.

A preset maps the fields an import understands (``FIELDS``) to the column names a CRM
writes, in the spellings its exports use: a report's labels ("First Name") and the API
names a data export tool writes ("FirstName"). A mapping file (``stakemap.crm.mapping``)
adds or overrides columns and says what the CRM's role names mean.

Role names: only the CRM's standard values whose meaning is plain map to a stakemap role
by default ("Executive Sponsor", "Business User", "Economic Buyer"). "Decision Maker",
"Influencer" or "Evaluator" say something about a person that no single stakemap role
says, so they are listed as unmapped until a mapping file maps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FIELDS", "PRESETS", "Preset"]

FIELDS: dict[str, str] = {
    "id": "the contact's id in the CRM (kept in external_ids)",
    "first_name": "first name",
    "last_name": "last name",
    "full_name": "the whole name, where the export has no first and last name",
    "title": "job title",
    "email": "email address",
    "account": "the company's name (the customer organization)",
    "account_id": "the company's id in the CRM (kept in the organization's external_ids)",
    "reports_to": "the manager's name",
    "reports_to_id": "the manager's contact id",
    "role": "the contact's role at the account (several separated by ';')",
    "primary": "whether the contact is the account's primary contact (read, not kept)",
    "owner": "the user of ours who owns the contact record (a tie to them)",
    "contact_id": "in a contact-role file: the contact the role belongs to",
}
"""The fields an import reads, and what each means."""


@dataclass(frozen=True)
class Preset:
    name: str
    system: str
    """The key of the CRM's ids in ``external_ids``."""
    columns: dict[str, tuple[str, ...]]
    """Field -> the column names the CRM's exports use for it, most usual first."""
    roles: dict[str, str] = field(default_factory=dict)
    """The CRM's role names (compared without case) -> stakemap role ids."""
    ignore: tuple[str, ...] = ()
    """Columns the CRM always writes that say nothing stakemap keeps (not "unmapped")."""


_PHONES = ("Phone", "Mobile Phone", "MobilePhone", "Mobile", "Business Phone", "Phone Number",
           "Fax", "Home Phone")
_ADDRESS = ("Mailing Street", "Mailing City", "Mailing State/Province", "Mailing Zip/Postal Code",
            "Mailing Country", "MailingStreet", "MailingCity", "MailingState",
            "MailingPostalCode", "MailingCountry", "Street Address", "City", "State/Region",
            "Postal Code", "Country/Region", "Country", "Address 1: City",
            "Address 1: Country/Region")

PRESETS: dict[str, Preset] = {
    "salesforce": Preset(
        name="salesforce", system="salesforce",
        columns={
            "id": ("Contact ID", "Id", "Contact Id", "ContactID"),
            "first_name": ("First Name", "FirstName"),
            "last_name": ("Last Name", "LastName"),
            "full_name": ("Full Name", "Contact Name", "Name"),
            "title": ("Title",),
            "email": ("Email",),
            "account": ("Account Name", "Account.Name", "Account"),
            "account_id": ("Account ID", "AccountId", "Account Id"),
            "reports_to": ("Reports To", "ReportsTo.Name", "Reports To: Full Name"),
            "reports_to_id": ("Reports To ID", "ReportsToId", "Reports To Id"),
            "role": ("Role", "Contact Role"),
            "primary": ("IsPrimary", "Primary", "Is Primary"),
            "owner": ("Contact Owner", "Owner Name", "Contact Owner Name"),
            "contact_id": ("ContactId", "Contact ID", "Contact Id"),
        },
        roles={"executive sponsor": "executive-sponsor", "business user": "end-user",
               "economic buyer": "purchaser"},
        ignore=(*_PHONES, *_ADDRESS, "Id", "Salutation", "Department", "Lead Source", "LeadSource",
                "Created Date", "CreatedDate", "Last Modified Date", "LastModifiedDate",
                "Last Activity", "Description", "Birthdate", "Assistant", "Asst. Phone",
                "OwnerId", "Owner ID")),
    "hubspot": Preset(
        name="hubspot", system="hubspot",
        columns={
            "id": ("Record ID", "Contact ID", "Record ID - Contact"),
            "first_name": ("First Name",),
            "last_name": ("Last Name",),
            "full_name": ("Full Name", "Name"),
            "title": ("Job Title",),
            "email": ("Email",),
            "account": ("Company Name", "Associated Company", "Company"),
            "account_id": ("Associated Company ID", "Company ID",
                           "Associated Company IDs (Primary)"),
            "role": ("Buying Role", "Buying Roles"),
            "owner": ("Contact owner", "Contact Owner", "HubSpot Owner"),
        },
        roles={"executive sponsor": "executive-sponsor", "end user": "end-user",
               "budget holder": "purchaser"},
        ignore=(*_PHONES, *_ADDRESS, "Lifecycle Stage", "Lead Status", "Create Date",
                "Last Activity Date", "Marketing contact status", "Persona",
                "Original Source", "Associated Deal", "Associated Deals")),
    "dynamics": Preset(
        name="dynamics", system="dynamics",
        columns={
            "id": ("(Do Not Modify) Contact", "Contact", "contactid"),
            "first_name": ("First Name", "firstname"),
            "last_name": ("Last Name", "lastname"),
            "full_name": ("Full Name", "fullname"),
            "title": ("Job Title", "jobtitle"),
            "email": ("Email", "E-mail", "emailaddress1"),
            "account": ("Company Name", "Account Name", "parentcustomerid"),
            "account_id": ("Company Name (Id)", "Account (Id)", "parentcustomerid_id"),
            "reports_to": ("Manager", "Manager Name", "managername"),
            "role": ("Role", "accountrolecode"),
            "owner": ("Owner", "owneridname"),
        },
        roles={"employee": "end-user"},
        ignore=(*_PHONES, *_ADDRESS, "(Do Not Modify) Row Checksum",
                "(Do Not Modify) Modified On", "Status", "Status Reason", "Created On",
                "Modified On", "Preferred Method of Contact")),
}
"""The presets by name (``--preset``)."""
